module gopherscope.test/memlab_stack

go 1.27
