/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel code records as vmdis prints them: declared with the code API in
 * vmcore_code.h (instructions, --diff hunks, listings; text and JSON). */
#ifndef VM_OUT_CODE_H
#define VM_OUT_CODE_H

#include "../vmcore_code.h"

#endif
