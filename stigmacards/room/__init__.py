"""Room mode without a web server: who may come in, what each phone is doing, what the room shows.

Pure, like the rest of the core: no HTTP, no terminal, no sleeping. `access` holds the tokens,
the room code and its throttle; `phones` walks one phone through promise, questions, the
personal-data check and saving; `room` is the shared state the web pages read and the
facilitator's terminal changes. The web front end (stigmacards/web) and the command
(cli/room.py) are thin layers over these.
"""
