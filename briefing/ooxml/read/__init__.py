"""Reading a .docx: paragraph text, tracked revisions, comments, inspection."""
