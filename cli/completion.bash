# bash completion for sslbind: commands, netsh parameter names, their
# values (enable|disable, certificate store names, thumbprints from
# `sslbind cert show`), and file names where a command takes a file.
# Installed as share/bash-completion/completions/sslbind.

# The words of the netsh verbs' parameters, in `show` order.
_sslbind_binding_params="certhash= appid= certstorename=
verifyclientcertrevocation= verifyrevocationwithcachedclientcertonly=
usagecheck= revocationfreshnesstime= urlretrievaltimeout= sslctlidentifier=
sslctlstorename= dsmapperusage= clientcertnegotiation= reject= disablehttp2=
disablequic= disabletls12= disabletls13= disableocspstapling=
enabletokenbinding= logextendedevents= disablelegacytls= enablesessionticket=
disablesessionid= enablecachingclienthello="
_sslbind_keys="ipport= hostnameport= ccs= scopedccs="

# Runs `sslbind cert show` against the store named on the line, if any, and
# prints the values of one field ("Thumbprint", "Certificate Store").
_sslbind_cert_field() {
  local field=$1 store_args=() i
  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
    if [[ ${COMP_WORDS[i]} == --store ]]; then
      store_args=(--store "${COMP_WORDS[i + 1]}")
    fi
  done
  "${COMP_WORDS[0]}" "${store_args[@]}" cert show 2>/dev/null |
    sed -n "s/^ *${field} *: //p" | sort -u
}

_sslbind() {
  local cur prev words=() i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}

  case $prev in
    --store | --key-file | -f | --file | -o | --output)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --reason | --expect-revision | --at | --since | --since-time | --limit | \
      --compact-before | --to)
      return
      ;;
    --format)
      COMPREPLY=($(compgen -W "json reg netsh" -- "$cur"))
      return
      ;;
  esac

  # The command words typed so far (options and NAME=VALUE left out).
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --store | --key-file | -f | --file | -o | --output | --format | --reason | \
        --expect-revision | --at | --since | --since-time | --limit | \
        --compact-before | --to) ((i++)) ;;
      -* | *=*) ;;
      netsh | http) ;;
      *) words+=("${COMP_WORDS[i]}") ;;
    esac
  done

  # A value after NAME=.
  if [[ $cur == *=* ]]; then
    local name=${cur%%=*} value=${cur#*=} candidates=""
    case $name in
      certhash) candidates=$(_sslbind_cert_field Thumbprint) ;;
      certstorename | store | sslctlstorename)
        candidates=$(printf "%s\n" MY WebHosting "$(_sslbind_cert_field 'Certificate Store')" | sort -u)
        ;;
      path) COMPREPLY=($(compgen -d -P "$name=" -- "$value")); return ;;
      appid) candidates="{4dc3e181-e14b-4a21-b022-59fc669b0914}" ;;
      ipport) candidates="0.0.0.0: [::]:" ;;
      verifyclientcertrevocation | verifyrevocationwithcachedclientcertonly | \
        usagecheck | dsmapperusage | clientcertnegotiation | reject | disable* | \
        enable* | logextendedevents)
        candidates="enable disable"
        ;;
    esac
    COMPREPLY=($(compgen -P "$name=" -W "$candidates" -- "$value"))
    compopt -o nospace 2>/dev/null
    return
  fi

  local params=""
  case "${words[*]}" in
    "")
      params="add update delete show cert ccs resolve check apply export
              import iis image revision history diff rollback keygen replicate --store --key-file --json --dry-run
              --no-verify --reason --expect-revision -f --help --version"
      ;;
    add | update | delete | show) params="sslcert" ;;
    "add sslcert") params="$_sslbind_keys $_sslbind_binding_params --no-verify --dry-run --reason --expect-revision" ;;
    "update sslcert") params="$_sslbind_keys $_sslbind_binding_params --no-verify --dry-run --reason --expect-revision" ;;
    "delete sslcert") params="$_sslbind_keys --dry-run --reason --expect-revision" ;;
    "show sslcert") params="$_sslbind_keys --at" ;;
    cert) params="import show delete" ;;
    "cert import") params="store= password= --dry-run --reason --expect-revision" ;;
    "cert show") params="store= certhash=" ;;
    "cert delete") params="certhash= store= --force --dry-run --reason --expect-revision" ;;
    ccs) params="enable show disable" ;;
    "ccs enable") params="path= password= --dry-run --reason --expect-revision" ;;
    "ccs disable") params="--dry-run --reason --expect-revision" ;;
    resolve) params="ip= port= sni= --explain" ;;
    check) params="--expiring --no-certificates --all" ;;
    apply) params="--prune --check --dry-run --reason --expect-revision --format --no-verify" ;;
    import) params="--replace --dry-run --reason --expect-revision --format" ;;
    export) params="--format -o" ;;
    iis) params="show check sync" ;;
    "iis sync") params="--prune --dry-run --reason --expect-revision --no-verify" ;;
    image) params="build show remove" ;;
    "image build" | "image remove") params="--dry-run" ;;
    history) params="$_sslbind_keys --since --since-time --limit --compact-before" ;;
    rollback) params="--to --dry-run --reason --expect-revision --no-verify" ;;
    replicate) params="--from --once" ;;
  esac
  case "${words[*]}" in
    apply | import | "cert import" | "iis show" | "iis check" | "iis sync")
      if [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$params" -- "$cur") $(compgen -f -- "$cur"))
        return
      fi
      ;;
  esac
  COMPREPLY=($(compgen -W "$params" -- "$cur"))
  [[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F _sslbind sslbind
