module gojsonjudge

go 1.22
