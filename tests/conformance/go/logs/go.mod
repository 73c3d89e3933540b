module gopherscope.test/logs

go 1.27
