"""Room mode's web front end: the phone pages, the projector page, live updates.

Starlette routes over the pure room core (stigmacards/room); Jinja2 templates with autoescape;
CSS and JavaScript served from this package (nothing from the internet). Imported only by the
`room` command and `play --room`, so every other command starts without it.
"""
