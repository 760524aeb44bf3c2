/*CMD
  command: /clash
  help: 
  need_reply: 
  auto_retry_time: 
  folder: 
  answer: 
  keyboard: 
  aliases: good morning
CMD*/

Bot.sendMessage("clash");
