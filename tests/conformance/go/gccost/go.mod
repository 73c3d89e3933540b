module gopherscope.test/gccost

go 1.27
