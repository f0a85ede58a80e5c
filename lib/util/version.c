#include "kasip/kasip.h"

#ifndef KSP_VERSION
#define KSP_VERSION "0.0.0"
#endif

const char *ksp_version(void)
{
	return KSP_VERSION;
}
