"""app-json: where an app's app.json lives in its source (`appjson-path`)."""
