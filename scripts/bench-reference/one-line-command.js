let n = content.length;
