# Shared by the web benchmark, the web soak and the Chromium test: start
# lighttpd with one of the data/web/lighttpd*.conf.in templates on a free
# 127.0.0.1 port. Source it, then:
#   web_start DIR TEMPLATE ARCHIVE CGI [FCGI]
# fills the template into DIR/lighttpd.conf (DIR/www holds a link to CGI),
# starts `lighttpd -D` and waits (at most 10 s) until it answers; sets
# WEB_PORT and WEB_PID. Returns 1, with lighttpd's output on stderr, when it
# does not start. WEB_CACHE_MB (default 32) is mlarc.fcgi's response cache
# (MLARC_WEB_CACHE_MB; 0: off), WEB_MAX_BAD (default 10000) its budget of bad
# requests (MLARC_WEB_MAX_BAD_REQUESTS). web_free_port prints a port nobody
# listens on.
web_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
web_start() {
  local dir=$1 template=$2 archive=$3 cgi=$4 fcgi=${5:-} i
  mkdir -p "$dir/www"
  ln -sfn "$cgi" "$dir/www/mlarc.cgi"
  WEB_PORT=$(web_free_port)
  sed -e "s|@HOST@|127.0.0.1|g" -e "s|@PORT@|$WEB_PORT|g" -e "s|@DOCROOT@|$dir/www|g" \
      -e "s|@STATE@|$dir|g" -e "s|@ARCHIVE@|$archive|g" -e "s|@OBFUSCATE@|0|g" \
      -e "s|@CACHE_MB@|${WEB_CACHE_MB:-32}|g" -e "s|@MAX_BAD@|${WEB_MAX_BAD:-10000}|g" \
      -e "s|@FCGI@|$fcgi|g" "$template" > "$dir/lighttpd.conf"
  lighttpd -D -f "$dir/lighttpd.conf" > "$dir/stdout" 2>&1 &
  WEB_PID=$!
  for i in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$WEB_PORT/style.css" && return 0
    sleep 0.1
  done
  cat "$dir/stdout" "$dir/error.log" >&2 2>/dev/null
  return 1
}
# web_wrk_script FILE PATH...: a wrk Lua script that requests the PATHs in
# turn, one after the other on every connection.
web_wrk_script() {
  local file=$1 p; shift
  {
    echo "local paths = {"
    for p in "$@"; do echo "  \"$p\","; done
    echo "}"
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  } > "$file"
}
