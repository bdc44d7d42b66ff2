# The values that differ from run to run: time, user, host, process.
mask '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}Z' TIME
mask "$(id -un)@$(hostname)" USER@HOST
mask '"user":"[^"]*","uid":[0-9]*,"host":"[^"]*","pid":[0-9]*' ACTOR
APPID='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
note a store never written is at revision 0
run revision
run --json revision
run history
note every change is one revision, with who, when, the command and why
run add sslcert ipport=0.0.0.0:443 certhash=01 $APPID --no-verify --reason "first site"
run add sslcert ccs=443 $APPID
run update sslcert ccs=443 disablehttp2=enable --reason "h2 off"
run delete sslcert ipport=0.0.0.0:443
run revision
note failures, dry runs and refused compare-and-swap writes make no revision
unchanged add sslcert ccs=443 $APPID
unchanged --dry-run add sslcert ccs=444 $APPID
unchanged add sslcert ccs=444 $APPID --expect-revision 3
unchanged --json add sslcert ccs=444 $APPID --expect-revision 3
run add sslcert ccs=444 $APPID --expect-revision 4
run revision
note history, newest first, of one key, from a revision, as JSON
run history
run history ccs=443
run history --since 4
run --json history --limit 1
run --json history ipport=0.0.0.0:443 --limit 1
unchanged history ipport=1.2.3.4
unchanged history --since-time yesterday
unchanged history --limit -1
note the bindings as they were, and the plan between two revisions
run show sslcert --at 1
run --json show sslcert --at 2
unchanged show sslcert ipport=0.0.0.0:443 --at 2
unchanged show sslcert --at 9
run diff 1
run diff 2 3
run --json diff 1 3
note rollback makes one new revision, and rolling back the rollback restores
unchanged rollback --to 1 --dry-run --no-verify
unchanged rollback --to 1
run rollback --to 1 --no-verify --reason "back to the first site"
run show sslcert
run history --limit 1
run rollback --to 5 --no-verify
run diff 5
run rollback --to 7
note retention: the bindings stay and older revisions are out of reach
run history --compact-before 3
run revision
run history --since 1 --limit 2
unchanged show sslcert --at 1
unchanged diff 1
unchanged rollback --to 1 --no-verify
unchanged history --compact-before 99
note compaction shows nothing: the options that choose what to show are refused
unchanged history --compact-before 2 --limit 1
unchanged --json history --compact-before 2 ipport=0.0.0.0:443
run show sslcert --at 2
