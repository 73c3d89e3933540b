module gopherscope.test/gc/mark

go 1.27
