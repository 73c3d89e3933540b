module gopherscope.test/gc/pacer

go 1.27
