/*CMD
  command: /start
  help: 
  need_reply: 
  auto_retry_time: 
  folder: 
  answer: Welcome!
  keyboard: 💰 Balance, good morning
  aliases: 
CMD*/

Bot.sendMessage("started " + Libs.Lang.t("hello"));
