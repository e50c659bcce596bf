#include "cli/app.h"

int main(int argc, char** argv) { return provarc::run_app(argc, argv); }
