/*
 * banned.h - functions that must not be used in kasip (after git's banned.h).
 *
 * Included last by every libkasip and command source file through the
 * compiler's -include flag.  Each use becomes a compile error naming the
 * banned function.  Use snprintf, ksp_strbuf, strtol/strtod with full checks,
 * ksp_parse_* and gmtime_r/localtime_r instead.
 */
#ifndef KSP_BANNED_H
#define KSP_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#undef vsprintf
#define sprintf(...) BANNED(sprintf)
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atof
#define atof(x) BANNED(atof)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)

#endif
