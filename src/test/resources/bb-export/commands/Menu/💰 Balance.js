/*CMD
  command: 💰 Balance
  help: 
  need_reply: 
  auto_retry_time: 
  folder: Menu
  answer: 
  keyboard: 
  aliases: Back 🔙, good morning
CMD*/

let wallets = Bot.getProperty("wallets") || {};
Bot.sendMessage(new Wallet(user.id, wallets).label());
