# The demo provisioning of the README's first command: applies, and applies
# again without changing anything (the command may be run twice).
cp "$(dirname "$CASE")/../../../examples/demo.json" demo.json
run apply demo.json
unchanged apply demo.json
run show sslcert
