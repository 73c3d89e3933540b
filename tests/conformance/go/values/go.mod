module gopherscope.test/values

go 1.27
