/* xpsignal.h -- umbrella header: the array layer and the signal layer. */
#ifndef XPSIGNAL_H
#define XPSIGNAL_H
#include "xp.h"
#include "xp_ops.h"
#include "xps.h"
#endif
