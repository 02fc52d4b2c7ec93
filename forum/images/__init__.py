"""Images, from upload to page: validation (what may be stored, cleaned), fields (the
model field and markdownx's upload view that apply it), renditions (responsive sizes)."""
