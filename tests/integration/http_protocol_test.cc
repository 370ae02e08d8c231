// HTTP protocol details (HEAD, HTTP/1.0): tests being written.
