module gopherscope.test/traces

go 1.27
