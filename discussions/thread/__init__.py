"""The thread page in one place: ``posts`` reads the thread and decides who reads which post
and which links they may follow, ``markup`` writes the posts' HTML, ``page`` puts the page
together. Written for speed, measured by ``make bench`` (README, "Performance")."""
