void harness_step(const char *what);
