/*CMD
  command: renderHome
  help: 
  need_reply: 
  auto_retry_time: 
  folder: WebApp
  answer: 
  keyboard: 
  aliases: 
CMD*/

var CSSFile = WebApp.getUrl({ command: "renderCSS" })
WebApp.render({ template: "index.html", options: { CSSFile: CSSFile } });
