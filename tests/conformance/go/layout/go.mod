module gopherscope.test/layout

go 1.27
