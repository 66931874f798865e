"""Page objects and form helpers the browser tests share."""
