/*CMD
  command: index.html
  help: 
  need_reply: 
  auto_retry_time: 
  folder: 
  answer: 
  keyboard: 
  aliases: 
CMD*/

<!DOCTYPE html>
<html><head><link rel="stylesheet" href="<% options.CSSFile %>"></head><body><h1>Hello from <%bot.name%></h1></body></html>
