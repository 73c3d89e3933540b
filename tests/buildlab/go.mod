module gopherscope/buildlab

go 1.27
