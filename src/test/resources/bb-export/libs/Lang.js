const texts = { hello: "hello" };

function t(key, ...args) {
  return [texts[key], ...args].join(" ");
}

publish({ t: t });
