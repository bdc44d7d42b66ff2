note the Central Certificate Store is off until enabled
run ccs show
mkdir ccs
note a relative folder is made absolute
run ccs enable path=ccs
run ccs show
note the password is never printed, and never in the store
run ccs enable path=$WORK/ccs/ password=s3cret
run ccs show
run --json ccs show
note store lines holding the password: $(sqlite3 -readonly "$STORE" .dump | grep -c s3cret)
note a folder that does not exist here is a warning, for another machine
run ccs enable path=$WORK/elsewhere
note disabling keeps the folder and forgets the password
run ccs disable
run --json ccs show
unchanged ccs enable
unchanged ccs enable path=
unchanged ccs enable path=ccs colour=blue
unchanged ccs show everything
run ccs enable help
