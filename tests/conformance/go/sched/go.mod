module gopherscope.test/sched

go 1.27
