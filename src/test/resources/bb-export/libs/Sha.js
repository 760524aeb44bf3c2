// A bundled library in the UMD shape of crypto-js: it sets a global and publishes nothing.
!function(t,e){"object"==typeof exports?module.exports=exports=e():t.Sha=e()}(this,function(){return { name: "sha" }});
