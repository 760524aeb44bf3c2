/*CMD
  command: @
  help: 
  need_reply: 
  auto_retry_time: 
  folder: Common
  answer: 
  keyboard: 
  aliases: 
CMD*/

class Wallet {
  constructor(id, wallets) {
    this.id = id;
    this.balance = wallets[id] || 0;
  }

  label(...parts) {
    return ["Balance", this.balance, ...parts].join(" ");
  }
}
