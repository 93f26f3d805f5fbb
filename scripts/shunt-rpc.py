#!/usr/bin/python3
"""One JSON-RPC call on shunt-vswitchd's management socket, for scripts that poll often
   (shunt-ctl is the administrator's tool; this avoids starting a JVM per call):
   scripts/shunt-rpc.py RUN_DIR/shunt.ctl METHOD '{"param": ...}'   prints the result as JSON."""
import json
import socket
import sys

if len(sys.argv) < 3:
    sys.exit("usage: shunt-rpc.py SOCKET METHOD [PARAMS-JSON]")
sock = socket.socket(socket.AF_UNIX)
sock.settimeout(30)
sock.connect(sys.argv[1])
params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
sock.sendall((json.dumps({"jsonrpc": "2.0", "id": 1, "method": sys.argv[2], "params": params}) + "\n").encode())
reply = json.loads(sock.makefile().readline())
if "error" in reply:
    sys.exit("shunt-rpc: %s: %s" % (sys.argv[2], reply["error"]))
print(json.dumps(reply["result"]))
