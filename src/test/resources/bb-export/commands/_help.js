Bot.sendMessage("Commands: /start, 💰 Balance");
