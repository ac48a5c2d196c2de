#include "point.h"
int point_norm2(struct point p) { return p.x * p.x + p.y * p.y; }
