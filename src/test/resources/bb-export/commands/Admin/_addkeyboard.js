/*CMD
  command: /addkeyboard
  help: 
  need_reply: true
  auto_retry_time: 
  folder: Admin
  answer: 
  keyboard: 
  aliases: 
CMD*/

let = cmds = Bot.getProperty('cmds');
if(!cmds){ cmds = { commands: [] } }

cmds.commands.push(params);
Bot.setProperty('cmds', cmds, 'json');
Bot.sendMessage(Libs.Sha ? cmds.commands.join(",") : "no Sha library");
