#define SCALE 10
struct point { int x; int y; };
int point_norm2(struct point p);
