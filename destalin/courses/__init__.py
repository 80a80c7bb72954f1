"""Course-wide pages: what shows a course as a whole (its home, search, navigation), built on
readings, discussions, grading and moderation, none of which import it."""
