module gopherscope.test/memlab_types

go 1.27
