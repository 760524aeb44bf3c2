publish({ x: 1 });
