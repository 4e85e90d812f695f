#include "shared.h"

void a(std::mutex &m) { hand_off(m); }
