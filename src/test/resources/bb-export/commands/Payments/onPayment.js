/*CMD
  command: onPayment
  help: 
  need_reply: 
  auto_retry_time: 
  folder: Payments
  answer: 
  keyboard: 
  aliases: 
CMD*/

let body = JSON.parse(content);
let wallets = Bot.getProperty("wallets") || {};
wallets[body.user_id] = (wallets[body.user_id] || 0) + body.amount;
Bot.setProperty("wallets", wallets, "json");
Bot.sendMessage("credited " + body.user_id);
