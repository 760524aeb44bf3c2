#!/usr/bin/env bash
# usage: scripts/import-bot.sh <folder>
#
# Uploads a bot exported from Bots.Business to git through the bot API:
#   <folder>/bot.json            {"name": ...}  (only the name is used)
#   <folder>/commands/**/*.js    one command per file, with a /*CMD ... CMD*/ header
#   <folder>/libs/*.js           one library per file, named by the file
# Environment:
#   API_URL       base URL of the API, e.g. http://127.0.0.1:3000 or the stack's ApiUrl output
#   ADMIN_KEY     creates a new bot named after bot.json, and prints its id and API key; or
#   BOT_ID and BOT_API_KEY   upload into an existing bot instead
# Needs: curl, and Node.js (for JSON and URL encoding).
set -euo pipefail
source "$(dirname "$0")/lib/cli.sh"
wants_help "$@" && usage_exit 0
[[ $# -eq 1 ]] || usage_exit 2
[[ -d "$1" ]] || { echo "no such folder: $1" >&2; usage_exit 2; }
[[ -n "${API_URL:-}" ]] || { echo "API_URL is not set" >&2; usage_exit 2; }
FOLDER="${1%/}"
API_URL="${API_URL%/}"

json_field() { # json_field <field>  (reads JSON on stdin)
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v==null?"":String(v))})' "$1"
}
url_encode() {
  node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"
}

# call <method> <path> <key> <content-type> <curl data args...>: prints the body, fails on non-2xx.
call() {
  local method="$1" path="$2" key="$3" type="$4"
  shift 4
  local answer status
  # The status is appended on a line of its own, so that no temporary file is needed.
  answer="$(curl -sS -w '\n%{http_code}' -X "$method" "$API_URL$path" \
    -H "Authorization: Bearer $key" -H "Content-Type: $type" "$@")"
  status="${answer##*$'\n'}"
  answer="${answer%$'\n'*}"
  if [[ "$status" != 2* ]]; then
    echo "$method $path answered $status: $answer" >&2
    return 1
  fi
  printf '%s' "$answer"
}

if [[ -n "${BOT_ID:-}" && -n "${BOT_API_KEY:-}" ]]; then
  bot_id="$BOT_ID"
  api_key="$BOT_API_KEY"
else
  [[ -n "${ADMIN_KEY:-}" ]] || { echo "set ADMIN_KEY, or BOT_ID and BOT_API_KEY" >&2; usage_exit 2; }
  name="$(basename "$FOLDER")"
  if [[ -f "$FOLDER/bot.json" ]]; then
    from_json="$(json_field name < "$FOLDER/bot.json")"
    [[ -n "$from_json" ]] && name="$from_json"
  fi
  body="$(node -e 'process.stdout.write(JSON.stringify({name: process.argv[1]}))' "$name")"
  created="$(call POST /bots "$ADMIN_KEY" application/json --data-binary "$body")"
  bot_id="$(json_field id <<< "$created")"
  api_key="$(json_field api_key <<< "$created")"
  echo "Created bot $bot_id ($name). Its API key, shown once: $api_key"
fi

commands=0
if [[ -d "$FOLDER/commands" ]]; then
  while IFS= read -r -d '' file; do
    # The command's name is in its /*CMD header ("command: /start"); else the file's name.
    cmd="$(awk '/\/\*CMD/ {h = 1; next} /CMD\*\// {exit}
      h && /^[[:space:]]*command:/ {sub(/^[[:space:]]*command:[[:space:]]*/, ""); sub(/[[:space:]]+$/, "");
        print; exit}' "$file")"
    [[ -n "$cmd" ]] || cmd="$(basename "$file" .js)"
    call PUT "/bots/$bot_id/commands/$(url_encode "$cmd")" "$api_key" "text/plain; charset=utf-8" \
      --data-binary "@$file" > /dev/null
    echo "  command $cmd"
    commands=$((commands + 1))
  done < <(find "$FOLDER/commands" -type f -name '*.js' -print0 | sort -z)
fi

libs=0
if [[ -d "$FOLDER/libs" ]]; then
  while IFS= read -r -d '' file; do
    lib="$(basename "$file" .js)"
    call PUT "/bots/$bot_id/libs/$(url_encode "$lib")" "$api_key" "text/plain; charset=utf-8" \
      --data-binary "@$file" > /dev/null
    echo "  library $lib"
    libs=$((libs + 1))
  done < <(find "$FOLDER/libs" -maxdepth 1 -type f -name '*.js' -print0 | sort -z)
fi

echo "Imported $commands command(s) and $libs librar(y/ies) into bot $bot_id."
