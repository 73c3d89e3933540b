module gopherscope.test/memlab_alloc

go 1.27
