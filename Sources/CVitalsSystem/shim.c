// The target's code lives in include/CVitalsSystem.h.
