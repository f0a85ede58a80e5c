/*
 * prelude.h - force-included before every kasip source file (-include).
 *
 * It pulls in the C and POSIX headers kasip uses and then banned.h, so that
 * the banned functions are declared by the system headers first and every
 * later use in our code is a compile error.  Keep system headers that
 * declare banned functions in this list.
 */
#ifndef KSP_PRELUDE_H
#define KSP_PRELUDE_H

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "banned.h"

#endif
