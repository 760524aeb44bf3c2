#!/usr/bin/env bash
# usage: scripts/import-bot.sh <folder>
#
# Uploads a bot exported from Bots.Business to git through the bot API, and can be run again:
#   <folder>/bot.json            {"name": ...}  (only the name is used)
#   <folder>/commands/**/*.js    one command per file, named by its /*CMD header's command:
#                                (else by the file: _start.js is /start)
#   <folder>/libs/*.js           one library per file, named by the file
# Environment:
#   API_URL       base URL of the API, e.g. http://127.0.0.1:3000 or the stack's ApiUrl output
#   BOT_ID and BOT_API_KEY   upload into this bot; else
#   the marker <folder>/.bot-webhooks.json, written when the script created the bot for this
#                 API_URL (it holds the bot's API key: keep it out of version control); else
#   ADMIN_KEY     creates a bot named after bot.json, prints its id and API key, writes the marker
# Every file is tried: an unchanged one is left alone, a built-in library (libs/Webhooks.js) is
# skipped with a note, a WebApp template (a command named *.html, *.css, *.js, ...) is uploaded as
# text for WebApp.render, and each file the API refuses is reported with its reason. Exits 1 when
# a file was refused, else 0.
# Needs: curl, and Node.js (for JSON and URL encoding).
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -eq 1 ]] || usage_exit 2
[[ -d "$1" ]] || { echo "no such folder: $1" >&2; usage_exit 2; }
[[ -n "${API_URL:-}" ]] || { echo "API_URL is not set" >&2; usage_exit 2; }
FOLDER="${1%/}"
API_URL="${API_URL%/}"
MARKER="$FOLDER/.bot-webhooks.json"

json_field() { # json_field <field>  (reads JSON on stdin)
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s)[process.argv[1]]}catch(e){}process.stdout.write(v==null?"":String(v))})' "$1"
}
url_encode() {
  node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"
}
# same_source <file>: true when the JSON on stdin has a "source" equal to the file's text.
same_source() {
  node -e 'const fs=require("fs");let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s).source}catch(e){}process.exit(v===fs.readFileSync(process.argv[1],"utf8")?0:1)})' "$1"
}

STATUS="" BODY=""
# call <method> <path> <key> <curl args...>: sets BODY and STATUS (the HTTP status, 000 when the
# API did not answer).
call() {
  local method="$1" path="$2" key="$3" answer
  shift 3
  # The status is appended on a line of its own, so that no temporary file is needed.
  if ! answer="$(curl -sS -w '\n%{http_code}' -X "$method" "$API_URL$path" \
    -H "Authorization: Bearer $key" "$@")"; then
    STATUS=000 BODY=""
    return 0
  fi
  STATUS="${answer##*$'\n'}"
  BODY="${answer%$'\n'*}"
}

if [[ -n "${BOT_ID:-}" && -n "${BOT_API_KEY:-}" ]]; then
  bot_id="$BOT_ID"
  api_key="$BOT_API_KEY"
elif [[ -f "$MARKER" && "$(json_field api_url < "$MARKER")" == "$API_URL" ]]; then
  bot_id="$(json_field bot_id < "$MARKER")"
  api_key="$(json_field api_key < "$MARKER")"
  echo "Updating bot $bot_id (recorded in $MARKER)."
else
  [[ -n "${ADMIN_KEY:-}" ]] || { echo "set ADMIN_KEY, or BOT_ID and BOT_API_KEY" >&2; usage_exit 2; }
  name="$(basename "$FOLDER")"
  if [[ -f "$FOLDER/bot.json" ]]; then
    from_json="$(json_field name < "$FOLDER/bot.json")"
    [[ -n "$from_json" ]] && name="$from_json"
  fi
  body="$(node -e 'process.stdout.write(JSON.stringify({name: process.argv[1]}))' "$name")"
  call POST /bots "$ADMIN_KEY" -H 'Content-Type: application/json' --data-binary "$body"
  if [[ "$STATUS" != 2* ]]; then
    echo "POST /bots answered $STATUS: $BODY" >&2
    exit 1
  fi
  bot_id="$(json_field id <<< "$BODY")"
  api_key="$(json_field api_key <<< "$BODY")"
  (umask 077 && node -e 'process.stdout.write(JSON.stringify({api_url: process.argv[1],
    bot_id: process.argv[2], api_key: process.argv[3]}) + "\n")' "$API_URL" "$bot_id" "$api_key" \
    > "$MARKER")
  echo "Created bot $bot_id ($name). Its API key, shown once: $api_key"
  echo "Recorded in $MARKER: a re-run updates this bot."
fi

uploaded=0 unchanged=0 skipped=0 refused=0
# upload <kind> <path segment> <name> <file>: PUTs the file unless the stored source is the same.
upload() {
  local kind="$1" segment="$2" name="$3" file="$4" encoded
  encoded="$(url_encode "$name")"
  call GET "/bots/$bot_id/$segment/$encoded" "$api_key"
  if [[ "$STATUS" == 200 ]] && same_source "$file" <<< "$BODY"; then
    unchanged=$((unchanged + 1))
    return
  fi
  call PUT "/bots/$bot_id/$segment/$encoded" "$api_key" \
    -H 'Content-Type: text/plain; charset=utf-8' --data-binary "@$file"
  if [[ "$STATUS" == 2* ]]; then
    echo "  $kind $name"
    uploaded=$((uploaded + 1))
  else
    echo "  REFUSED $kind $name (${file#"$FOLDER/"}): $STATUS $(json_field error <<< "$BODY")" >&2
    refused=$((refused + 1))
  fi
}

if [[ -d "$FOLDER/commands" ]]; then
  while IFS= read -r -d '' file; do
    # The command's name is in its /*CMD header ("command: /start"); else the file's name, where
    # a leading _ stands for / as in Bots.Business exports.
    cmd="$(awk '/\/\*CMD/ {h = 1; next} /CMD\*\// {exit}
      h && /^[[:space:]]*command:/ {sub(/^[[:space:]]*command:[[:space:]]*/, ""); sub(/[[:space:]]+$/, "");
        print; exit}' "$file")"
    if [[ -z "$cmd" ]]; then
      cmd="$(basename "$file" .js)"
      [[ "$cmd" == _* ]] && cmd="/${cmd#_}"
    fi
    kind=command
    # A WebApp template (index.html, styles.css, ...) is a command the API keeps as text.
    [[ "${cmd,,}" =~ \.(html|htm|css|js|json|txt)$ ]] && kind=template
    upload "$kind" commands "$cmd" "$file"
  done < <(find "$FOLDER/commands" -type f -name '*.js' -print0 | sort -z)
fi

if [[ -d "$FOLDER/libs" ]]; then
  while IFS= read -r -d '' file; do
    lib="$(basename "$file" .js)"
    if [[ "$lib" == Webhooks ]]; then
      echo "  skipped libs/Webhooks.js: the Webhooks library is built in"
      skipped=$((skipped + 1))
      continue
    fi
    upload library libs "$lib" "$file"
  done < <(find "$FOLDER/libs" -maxdepth 1 -type f -name '*.js' -print0 | sort -z)
fi

echo "Bot $bot_id: $uploaded uploaded, $unchanged unchanged, $skipped skipped, $refused refused."
[[ "$refused" -eq 0 ]]
